module.exports = { title: 'Kite works' };
