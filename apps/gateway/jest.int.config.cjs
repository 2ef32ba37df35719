module.exports = { displayName: 'gateway:int', preset: '../../jest.int.preset.js' };
