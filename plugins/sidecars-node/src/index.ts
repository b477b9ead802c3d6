export * from './podFacts';
export * from './kube/requests';
export * from './kube/reader';
export * from './clusterSettings';
export * from './temporalConnection';
export * from './entitySelection';
export * from './discovery';
export * from './plan';
