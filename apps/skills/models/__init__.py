"""Skills bank: taxonomy (ISCO-08, sectors, skills vocabulary, ISCED), member profiles, consent records and staff
curation (verifications, imports). Import the models from here: ``from apps.skills.models import DiasporaProfile``."""

from .consents import CONSENT_FIELDS, ConsentPurpose, ConsentRecord
from .curation import ImportBatch, ImportRow, ProfileVerification, VerificationCheck
from .profiles import (
    NAME_SEPARATORS,
    NAME_TOKEN_MAX_LENGTH,
    AssociationMembership,
    AvailabilityMode,
    DiasporaProfile,
    EngagementInterest,
    Gender,
    Generation,
    NameToken,
    ProfessionalRegistration,
    ProfileEducation,
    ProfileLanguage,
    ProfileNameToken,
    ProfileSkill,
)
from .taxonomy import EducationField, EducationLevel, Occupation, Sector, Skill

__all__ = [
    "CONSENT_FIELDS",
    "NAME_SEPARATORS",
    "NAME_TOKEN_MAX_LENGTH",
    "AssociationMembership",
    "AvailabilityMode",
    "ConsentPurpose",
    "ConsentRecord",
    "DiasporaProfile",
    "EducationField",
    "EducationLevel",
    "EngagementInterest",
    "Gender",
    "Generation",
    "ImportBatch",
    "ImportRow",
    "NameToken",
    "Occupation",
    "ProfessionalRegistration",
    "ProfileEducation",
    "ProfileLanguage",
    "ProfileNameToken",
    "ProfileSkill",
    "ProfileVerification",
    "Sector",
    "Skill",
    "VerificationCheck",
]
