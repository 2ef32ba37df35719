module.exports = { displayName: 'connector-salesforce:int', preset: '../../jest.int.preset.js' };
