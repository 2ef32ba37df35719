module.exports = { displayName: 'persistence:int', preset: '../../jest.int.preset.js' };
