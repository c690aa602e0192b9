"""What the service app adds to the registry's visibility."""

from django.db.models import Q

from fourfirsts.core.access import Role


def enterprises_of_appeals(scope) -> Q:
    """A handler sees the enterprises of the appeals assigned to their department."""
    from fourfirsts.service.models import Appeal

    if Role.HANDLER in scope.roles and scope.department_ids:
        return Q(pk__in=Appeal.objects.filter(department_id__in=scope.department_ids).values("enterprise_id"))
    return Q(pk__in=[])
