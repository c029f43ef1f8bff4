module.exports = { siteMetadata: { title: 'Paper things' } };
