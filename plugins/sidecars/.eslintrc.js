module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // A contract test checks the client against the OpenAPI contract the backend serves, so it
    // imports the backend's test utilities; nothing else in the frontend may import the backend.
    '@backstage/no-mixed-plugin-imports': [
      'warn',
      { excludedFiles: ['**/*.contract.test.ts'] },
    ],
  },
});
