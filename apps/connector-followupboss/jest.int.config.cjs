module.exports = { displayName: 'connector-followupboss:int', preset: '../../jest.int.preset.js' };
