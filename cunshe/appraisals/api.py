from ninja import Router

router = Router(tags=["双评三考"])
