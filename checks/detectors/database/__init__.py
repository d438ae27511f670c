"""Detectors of the database domain; :data:`DETECTORS` lists them for the registry."""

from checks.detector import Detector
from checks.detectors.database.connection_opened_per_request import ConnectionOpenedPerRequest
from checks.detectors.database.django_persistent_connections_disabled import (
    DjangoPersistentConnectionsDisabled,
)
from checks.detectors.database.foreign_key_without_index import ForeignKeyWithoutIndex
from checks.detectors.database.lazy_relation_in_loop import LazyRelationInLoop
from checks.detectors.database.missing_cache_layer import MissingCacheLayer
from checks.detectors.database.model_change_without_migration import (
    ModelChangeWithoutMigration,
)
from checks.detectors.database.models_without_migrations import ModelsWithoutMigrations
from checks.detectors.database.null_pool_in_service import NullPoolInService
from checks.detectors.database.query_in_loop import QueryInLoop

DETECTORS: tuple[type[Detector], ...] = (
    ForeignKeyWithoutIndex,
    ConnectionOpenedPerRequest,
    NullPoolInService,
    DjangoPersistentConnectionsDisabled,
    MissingCacheLayer,
    QueryInLoop,
    LazyRelationInLoop,
    ModelChangeWithoutMigration,
    ModelsWithoutMigrations,
)
