// Not a Backstage package: linted with the rules Backstage applies to Node code.
module.exports =
  require('@backstage/cli/config/eslint-factory').createConfigForRole(
    __dirname,
    'node-library',
  );
