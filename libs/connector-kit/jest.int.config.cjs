module.exports = { displayName: 'connector-kit:int', preset: '../../jest.int.preset.js' };
