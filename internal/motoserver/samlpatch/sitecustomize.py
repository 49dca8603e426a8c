# Loaded by moto_server's Python (PYTHONPATH, internal/motoserver.StartSAML):
# replaces moto 5.2's STS AssumeRoleWithSAML, which answers HTTP 500 to a Role
# attribute with more than one value and takes the account of the first value
# whatever RoleArn asks, by one that does as AWS does: it picks the value that
# names RoleArn and PrincipalArn (in either order) and refuses a role the
# assertion does not carry with AccessDenied. Like moto's, it checks no
# signature. It also keeps the session in the role's account, as moto's
# AssumeRole does.
from base64 import b64decode

import xmltodict
from moto.core.exceptions import ServiceException
from moto.sts import models
from moto.sts.models import AssumedRole, STSBackend

ROLE = "https://aws.amazon.com/SAML/Attributes/Role"
SESSION_NAME = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
SESSION_DURATION = "https://aws.amazon.com/SAML/Attributes/SessionDuration"


class AccessDenied(ServiceException):
    code = "AccessDenied"


def _list(x):
    if x is None:
        return []
    return x if isinstance(x, list) else [x]


def _text(v):
    return v.get("#text", "") if isinstance(v, dict) else (v or "")


def assume_role_with_saml(self, **kwargs):
    role_arn = kwargs["role_arn"]
    principal_arn = kwargs.pop("principal_arn")
    doc = xmltodict.parse(
        b64decode(kwargs.pop("saml_assertion")).decode("utf-8"),
        force_cdata=True,
        process_namespaces=True,
        namespaces={
            "urn:oasis:names:tc:SAML:2.0:protocol": "samlp",
            "urn:oasis:names:tc:SAML:2.0:assertion": "saml",
        },
        namespace_separator="|",
    )
    attrs = _list(doc["samlp|Response"]["saml|Assertion"]["saml|AttributeStatement"]["saml|Attribute"])
    found = False
    for a in attrs:
        values = [_text(v) for v in _list(a.get("saml|AttributeValue"))]
        if a["@Name"] == SESSION_NAME and values:
            kwargs["role_session_name"] = values[0]
        if a["@Name"] == SESSION_DURATION and values:
            kwargs["duration"] = int(values[0])
        if a["@Name"] == ROLE:
            for v in values:
                if sorted(p.strip() for p in v.split(",")) == sorted([role_arn, principal_arn]):
                    found = True
    if not found:
        raise AccessDenied("Not authorized to perform sts:AssumeRoleWithSAML: the assertion does not grant " + role_arn)
    kwargs.setdefault("duration", models.DEFAULT_STS_SESSION_DURATION)
    account_id, access_key = self._create_access_key(role=role_arn)
    kwargs.update(account_id=account_id, region_name=self.region_name, access_key=access_key, external_id=None, policy=None)
    role = AssumedRole(**kwargs)
    access_key.role_arn = role_arn
    # Kept by the role's account's backend, as assume_role does, so that
    # GetCallerIdentity with its key answers the assumed role (moto's own
    # keeps it in the caller's, the default account's: its sessions of
    # other accounts answer as user/moto).
    models.sts_backends[account_id][models.get_partition(self.region_name)].assumed_roles.append(role)
    return role


STSBackend.assume_role_with_saml = assume_role_with_saml
