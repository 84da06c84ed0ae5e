from yuqing_spiders.cli import app

app()
