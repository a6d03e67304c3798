from django.urls import path

from debitor import views

app_name = __name__.split(".")[0]
urlpatterns = [
    path("debitor/opgaver/<int:pk>/tilknyt/", views.tilknyt, name="tilknyt"),
    path("debitor/fordringer/<int:pk>/postering/", views.postering, name="postering"),
    path("debitor/mi32/klik-deadline/", views.klik_deadline, name="klik_deadline"),
    path("debitor/kmd-aktiv-importer/", views.kmd_aktiv_importer, name="kmd_aktiv_importer"),
    path("debitor/kmd-aktiv-importer/<int:pk>/", views.kmd_aktiv_import, name="kmd_aktiv_import"),
    path("debitor/kmd-aktiv-importer/upload/", views.kmd_aktiv_upload, name="kmd_aktiv_upload"),
    path("debitor/kmd-aktiv-importer/koersler/<int:pk>/", views.kmd_aktiv_koersel, name="kmd_aktiv_koersel"),
]
