module.exports = { displayName: 'database:int', preset: '../../jest.int.preset.js' };
