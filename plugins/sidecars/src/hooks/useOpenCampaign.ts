import { useRouteRef } from '@backstage/core-plugin-api';
import { useNavigate } from 'react-router-dom';
import { campaignRouteRef } from '../routes';

/** Navigates to a campaign's detail page. */
export function useOpenCampaign(): (id: string) => void {
  const campaignLink = useRouteRef(campaignRouteRef);
  const navigate = useNavigate();
  return id => navigate(campaignLink({ id }));
}
