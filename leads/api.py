"""The leads REST API: start an outbound qualification call for a lead."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from calls.models import Call
from leads.models import Lead
from leads.salesforce_ids import Person
from leads.services.outbound import QualificationCallError, start_qualification_call

class CanStartQualificationCall(BasePermission):
    message = "You need the permission “Can start an outbound qualification call” (leads.start_qualification_call)."
    code = "missing_permission"

    def has_permission(self, request, view):
        return request.user.has_perm("leads.start_qualification_call")


class QualificationCallSerializer(serializers.ModelSerializer):
    lead_id = serializers.IntegerField(read_only=True)
    lead_salesforce_id = serializers.CharField(source="lead.salesforce_id", read_only=True, default=None)

    class Meta:
        model = Call
        fields = ("id", "vapi_call_id", "status", "direction", "customer_number", "lead_id", "lead_salesforce_id",
                  "created_at")
        read_only_fields = fields


def error_response(exc, context):
    """Every error as {"detail": ..., "code": ...}, refusals with their own status and facts."""
    if isinstance(exc, QualificationCallError):
        return Response({"detail": exc.message, "code": exc.code, **exc.details}, status=exc.status)
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, APIException) and isinstance(exc.detail, str):
        response.data = {"detail": str(exc.detail), "code": exc.detail.code}
    return response


def lead_for_reference(reference: str) -> Lead:
    """The lead a URL names: its local id, or its Salesforce Lead id in either length."""
    lead = None
    if reference.isdecimal() and reference.isascii():  # not "²", which int() refuses
        lead = Lead.objects.filter(pk=int(reference)).first()
    elif (person := Person.from_id(reference)) is not None and person.sobject == "Lead":
        # A 15-character id is the case-sensitive start of the 18-character one (SQLite's LIKE ignores case).
        candidates = Lead.objects.filter(salesforce_id__startswith=reference)
        lead = next((row for row in candidates if row.salesforce_id.startswith(reference)), None)
    if lead is None:
        raise NotFound(f"No lead {reference!r}: give its id here or its Salesforce Lead id.", code="lead_not_found")
    return lead


_REFUSAL = inline_serializer("QualificationCallRefusal", {
    "detail": serializers.CharField(), "code": serializers.CharField(help_text="A stable machine-readable reason."),
})


class QualifyLeadView(APIView):
    """POST: the AI assistant calls the lead now. 201 with the call; refusals say why (see the README)."""

    permission_classes = [IsAuthenticated, CanStartQualificationCall]

    def get_exception_handler(self):
        return error_response

    @extend_schema(
        operation_id="lead_qualify",
        summary="Call the lead now",
        description="Starts an outbound AI qualification call through Vapi. Needs the permission "
                    "leads.start_qualification_call. The request has no body.",
        tags=["leads"],
        parameters=[OpenApiParameter("reference", str, OpenApiParameter.PATH,
                                     description="The lead's local id, or its 15- or 18-character Salesforce Lead id.")],
        request=None,
        responses={
            201: QualificationCallSerializer,
            **{status: OpenApiResponse(_REFUSAL, description=description) for status, description in (
                (401, "Not authenticated."), (403, "Missing permission, do-not-call, or no consent."),
                (404, "No such lead."), (409, "Called too recently."), (422, "The lead has no valid phone number."),
                (502, "Vapi refused the call."), (503, "Vapi is not configured."), (504, "Vapi did not answer in time."),
            )},
        },
    )
    def post(self, request, reference: str):
        lead = lead_for_reference(reference)
        call = start_qualification_call(lead=lead, requested_by=request.user)
        return Response(QualificationCallSerializer(call).data, status=201)
