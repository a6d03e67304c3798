from django.urls import path

from . import views

urlpatterns = [
    path("satser/", views.SatsList.as_view(), name="ub-satser"),
    path("satser/<int:pk>/", views.SatsDetail.as_view(), name="ub-sats"),
    path("sager/", views.SagList.as_view(), name="ub-sager"),
    path("sager/<int:pk>/", views.SagDetail.as_view(), name="ub-sag"),
    path("sager/<int:pk>/beregninger/", views.Beregninger.as_view(), name="ub-beregninger"),
    path("sager/<int:pk>/tillaeg-fradrag/", views.TFList.as_view(), name="ub-tf"),
    path("sager/<int:pk>/anmodninger/", views.AnmodningList.as_view(), name="ub-anmodninger"),
    path("sager/<int:pk>/stamkort.pdf", views.Stamkort.as_view(), name="ub-stamkort-pdf"),
    path("koersler/<int:run_id>/", views.KoerselDetail.as_view(), name="ub-koersel"),
    path("registerindsigt/", views.RegisterindsigtList.as_view(), name="ub-registerindsigter"),
    path("registerindsigt/<int:pk>/", views.RegisterindsigtDetail.as_view(), name="ub-registerindsigt"),
    path("registerindsigt/<int:pk>.pdf", views.RegisterindsigtPdf.as_view(), name="ub-registerindsigt-pdf"),
    path("kontoplan/", views.KontoplanView.as_view(), name="ub-kontoplan"),
    path("tilslutninger/", views.TilslutningList.as_view(), name="ub-tilslutninger"),
    path("tilslutninger/<int:kommune>/", views.TilslutningDetail.as_view(), name="ub-tilslutning"),
    path("adresser/", views.AdresseBulk.as_view(), name="ub-adresser"),
    path("adresser/<str:cpr>/", views.AdresseDetail.as_view(), name="ub-adresse"),
]
