module.exports = { displayName: 'connector-salesforce', preset: '../../jest.preset.js' };
