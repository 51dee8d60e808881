"""What every operation of the OpenAPI schema says without each view repeating it.

Views declare their own answers with `extend_schema`; this schema class adds the answers the
shared machinery gives, all in the error shape: 400 where there is input to refuse, 401 and 403
where a caller must be signed in (an account whose two-factor setup is pending gets 403), 404
where a path names an object or a list has pages, 409 where an `Idempotency-Key` can clash,
413 and 415 where there is a body. Operations decorated `@idempotent` get the header itself.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

from mutuality.idempotency import HEADER, is_idempotent


class ErrorSerializer(serializers.Serializer):
    message = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


IDEMPOTENCY_HEADER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[!-~]+$"},
    "description": "Optional. A retry with the same key (and the same body) returns the first "
    "response and creates nothing more; the same key with another body is a 409.",
}

# Query parameters that name an object by its id (the views read them with `int_param`).
ID_QUERY_PARAMETERS = {"cohort"}

DESCRIPTIONS = {
    "400": "Bad input: the fields named in `errors`.",
    "401": "Not signed in, or the token is invalid or expired.",
    "403": "Known to you, but not yours to do.",
    "404": "Missing, or not yours to know about; also a page past the last.",
    "409": "Conflicts with the current state, or the Idempotency-Key was used for another body.",
    "413": "The body is larger than the API accepts.",
    "415": "The body is not JSON (nor a form).",
}


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        idempotent = is_idempotent(getattr(self.view, method.lower(), None))
        if idempotent:
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name") == HEADER and p.get("in") == "header" for p in parameters):
                parameters.append(IDEMPOTENCY_HEADER)
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] in ID_QUERY_PARAMETERS:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        codes = []
        if operation.get("parameters") or "requestBody" in operation:
            codes.append("400")
        if any(requirement for requirement in operation.get("security", [])):
            codes += ["401", "403"]
        if "{" in path or self._paginated(operation):
            codes.append("404")
        if idempotent:
            codes.append("409")
        if "requestBody" in operation:
            codes += ["413", "415"]
        error = self.resolve_serializer(ErrorSerializer(), "response").ref
        responses = operation["responses"]
        for code in codes:
            responses.setdefault(
                code,
                {
                    "description": DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": error}},
                },
            )
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # What DRF refuses in any string, said in the schema so that clients (and a schema
        # checker) know: a NUL character, and, where blank is refused, only spaces ("   " is
        # trimmed to "" before it is checked).
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and schema.get("type") == "string"
            and not {"pattern", "enum", "format"} & set(schema)
        ):
            if field.allow_blank or not field.trim_whitespace:
                schema["pattern"] = r"^[^\u0000]*$"
            else:
                schema["pattern"] = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
        return schema

    def _paginated(self, operation) -> bool:
        return any(p.get("name") == "page" for p in operation.get("parameters", []))
