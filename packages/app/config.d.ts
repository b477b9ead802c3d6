export interface Config {
  auth?: {
    providers?: {
      /**
       * The local demo sign-in: the sign-in page offers these users and the backend module
       * in plugins/auth-backend-module-demo-provider lets only them enter, after looking them
       * up in the catalog. Refused unless NODE_ENV is development or test.
       */
      demo?: {
        /**
         * The users offered on the sign-in page, one button each.
         * @visibility frontend
         */
        users: Array<{
          /**
           * The User entity's name, e.g. alice.
           * @visibility frontend
           */
          name: string;
          /**
           * Shown under the name, e.g. "team-payments: payments-api, ledger".
           * @visibility frontend
           */
          description?: string;
        }>;
      };
    };
  };
}
