AUTHOR = 'Tide team'
ARTICLE_PATHS = ['blog']
