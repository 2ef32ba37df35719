module.exports = { displayName: 'dead-letters', preset: '../../jest.preset.js' };
