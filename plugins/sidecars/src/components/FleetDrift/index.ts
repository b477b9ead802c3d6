export { FleetDriftCard } from './FleetDriftCard';
