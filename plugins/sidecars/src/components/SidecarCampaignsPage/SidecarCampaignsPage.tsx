import { ReactRouterV6PageRouter } from '@backstage/frontend-adapter-react-router-v6';
import { Route, Routes } from 'react-router-dom';
import { CampaignDetailPage } from '../CampaignDetail';
import { CampaignListPage } from '../CampaignList';

/** The plugin's page: the campaign list at its root, one campaign at campaigns/:id. */
export function SidecarCampaignsPage() {
  return (
    <ReactRouterV6PageRouter>
      <Routes>
        <Route path="/" element={<CampaignListPage />} />
        <Route path="/campaigns/:id" element={<CampaignDetailPage />} />
      </Routes>
    </ReactRouterV6PageRouter>
  );
}
