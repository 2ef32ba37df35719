module.exports = { displayName: 'connector-followupboss', preset: '../../jest.preset.js' };
