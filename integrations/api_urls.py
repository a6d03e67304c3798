# API routes of the integration sub-apps (dfdg, sf2520) are included here.
urlpatterns: list = []
