module.exports = { displayName: 'testing:int', preset: '../../jest.int.preset.js' };
