app_name = __name__.split(".")[0]
urlpatterns: list = []
