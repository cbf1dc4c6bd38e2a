import mlx.core as mx
import mlx.optimizers as optim

mx.set_default_device(mx.cpu)  # float64 runs on the CPU


def f(p):
    x, y = p[0], p[1]
    return 2 * x**2 + 2 * x * y + 2 * y**2 - 6 * x


params = {"xy": mx.array([1.0, 0.0], dtype=mx.float64)}
opt = optim.RMSprop(learning_rate=0.01, alpha=0.9, eps=1e-8)
for _ in range(1000):
    grads = {"xy": mx.grad(f)(params["xy"])}
    params = opt.apply_gradients(grads, params)
print(params["xy"].tolist())
