"""Django's admin at /admin/; DRF's token endpoint and one token-protected resource under /api/."""
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import path
from rest_framework import generics, serializers
from rest_framework.authtoken.views import obtain_auth_token


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "is_staff"]


class Users(generics.ListAPIView):
    queryset = User.objects.order_by("id")
    serializer_class = UserSerializer


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/token/", obtain_auth_token),
    path("api/users/", Users.as_view()),
]
