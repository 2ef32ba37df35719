module.exports = { displayName: 'crm-sandbox', preset: '../../jest.preset.js' };
