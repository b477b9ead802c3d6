import { sidecarsPlugin } from './alpha/plugin';

export { sidecarsApiRef, SidecarsClient } from './api';
export default sidecarsPlugin;
