module.exports = { displayName: 'connector-hubspot', preset: '../../jest.preset.js' };
