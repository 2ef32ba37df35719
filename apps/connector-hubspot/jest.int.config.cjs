module.exports = { displayName: 'connector-hubspot:int', preset: '../../jest.int.preset.js' };
