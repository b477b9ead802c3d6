module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  testRules: {
    // Tests that assert through these helpers (each calls expect) are not without assertions.
    'jest/expect-expect': [
      'warn',
      {
        assertFunctionNames: [
          'expect',
          'expectJsonError',
          'expectFieldError',
          'expectForbidden',
          'expectControl',
        ],
      },
    ],
  },
});
