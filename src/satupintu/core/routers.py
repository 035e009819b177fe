class DatastoreRouter:
    """Django models live in `default`. The `datastore` database holds only the published
    dataset tables, which the data app creates and queries itself, never through migrations."""

    def db_for_read(self, model, **hints):
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
