from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ..services import user_update_account
from .serializers import MeSerializer


class MeView(APIView):
    """The signed-in user: identity, language, roles and their scope."""

    serializer_class = MeSerializer

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses=MeSerializer)
    def patch(self, request):
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user_update_account(
            user=request.user,
            full_name=serializer.validated_data.get("full_name", request.user.full_name),
            preferred_language=serializer.validated_data.get("preferred_language", request.user.preferred_language),
        )
        return Response(MeSerializer(request.user).data)
