module.exports = { displayName: 'enrichment:int', preset: '../../jest.int.preset.js' };
