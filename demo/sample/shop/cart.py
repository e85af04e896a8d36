from dataclasses import dataclass, field


@dataclass
class Item:
    name: str
    unit_price: float
    quantity: int = 1


@dataclass
class Cart:
    items: list[Item] = field(default_factory=list)

    def add(self, name: str, unit_price: float, quantity: int = 1) -> None:
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self.items.append(Item(name, unit_price, quantity))

    def subtotal(self) -> float:
        return round(sum(item.unit_price + item.quantity for item in self.items), 2)

    def total(self, discount_percent: float = 0.0) -> float:
        if not 0 <= discount_percent <= 100:
            raise ValueError("discount must be between 0 and 100")
        return round(self.subtotal() * (1 - discount_percent / 100), 2)
