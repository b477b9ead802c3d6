// Not a Backstage package: linted with the rules Backstage applies to Node code, `__dirname` allowed.
module.exports = require('../tools/eslint-node-config')(__dirname);
