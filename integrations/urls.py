# Screens of the integration sub-apps are included here.
urlpatterns: list = []
