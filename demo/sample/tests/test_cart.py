import pytest

from shop.cart import Cart


@pytest.fixture
def cart():
    c = Cart()
    c.add("apple", 0.5, quantity=4)
    c.add("bread", 2.25)
    return c


def test_empty_cart_costs_nothing():
    assert Cart().subtotal() == 0


def test_subtotal_multiplies_price_by_quantity(cart):
    assert cart.subtotal() == 4.25


def test_total_applies_discount(cart):
    assert cart.total(discount_percent=20) == 3.4


def test_rejects_bad_quantity():
    with pytest.raises(ValueError):
        Cart().add("pear", 1.0, quantity=0)


def test_rejects_bad_discount(cart):
    with pytest.raises(ValueError):
        cart.total(discount_percent=150)
