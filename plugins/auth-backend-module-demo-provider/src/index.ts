/** Local-development sign-in as a demo user from the catalog; refused unless NODE_ENV is development or test. */
export { authModuleDemoProvider as default } from './module';
export { DEMO_USER_HEADER } from './authenticator';
