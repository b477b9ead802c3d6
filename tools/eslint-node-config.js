// ESLint config for the workspaces that are not Backstage packages and run as plain Node programs
// (workers, dev, test): the rules Backstage applies to Node code, but for its ban on `__dirname`.
// Backstage bans it because its production builds move a package's code away from its sources;
// these workspaces are never built that way, and where workers/ compiles itself (dist/ next to
// src/) the paths it joins to `__dirname` are chosen to hold from either folder.
const { createConfigForRole } = require('@backstage/cli/config/eslint-factory');

const DIRNAME_SELECTOR = 'Identifier[name="__dirname"]';

module.exports = function createNodeWorkspaceConfig(dir, extraConfig) {
  const config = createConfigForRole(dir, 'node-library', extraConfig);
  const [level, ...restrictions] = config.rules['no-restricted-syntax'];
  config.rules['no-restricted-syntax'] = [
    level,
    ...restrictions.filter(r => r.selector !== DIRNAME_SELECTOR),
  ];
  return config;
};
