import pytest

from satupintu.core.tests.testapp.models import Announcement


@pytest.mark.django_db
def test_test_model_is_installed():
    assert Announcement.objects.count() == 0
