import paddle
from paddle.optimizer import RMSProp

paddle.set_device("cpu")
init = paddle.nn.initializer.Assign([1.0, 0.0])
xy = paddle.create_parameter([2], "float64", default_initializer=init)
opt = RMSProp(learning_rate=0.01, rho=0.9, epsilon=1e-8, parameters=[xy])
for _ in range(1000):
    x, y = xy[0], xy[1]
    loss = 2 * x**2 + 2 * x * y + 2 * y**2 - 6 * x
    loss.backward()
    opt.step()
    opt.clear_grad()
print(xy.tolist())
