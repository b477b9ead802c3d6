import { ReactRouterV6PageRouter } from '@backstage/frontend-adapter-react-router-v6';
import { Route, Routes } from 'react-router-dom';
import { CampaignDetailPage } from '../CampaignDetail';
import { CampaignListPage } from '../CampaignList';
import { SidecarAccountingPage } from '../SidecarAccounting';

/** The plugin's page: the campaign list at its root, one campaign at campaigns/:id, sidecar costs at accounting. */
export function SidecarCampaignsPage() {
  return (
    <ReactRouterV6PageRouter>
      <Routes>
        <Route path="/" element={<CampaignListPage />} />
        <Route path="/campaigns/:id" element={<CampaignDetailPage />} />
        <Route path="/accounting" element={<SidecarAccountingPage />} />
      </Routes>
    </ReactRouterV6PageRouter>
  );
}
