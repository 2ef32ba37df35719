module.exports = { displayName: 'connector-kit', preset: '../../jest.preset.js' };
