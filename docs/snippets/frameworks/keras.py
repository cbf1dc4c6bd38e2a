import keras
from keras import ops

if keras.backend.backend() == "jax":  # without x64, jax keeps "float64" in float32
    import jax

    jax.config.update("jax_enable_x64", True)
keras.config.set_floatx("float64")
xy = keras.Variable([1.0, 0.0], dtype="float64")  # a list alone gives float32
opt = keras.optimizers.RMSprop(learning_rate=0.01, rho=0.9, epsilon=1e-8)
for _ in range(1000):
    x, y = xy[0], xy[1]
    grad = ops.stack([4 * x + 2 * y - 6, 2 * x + 4 * y])  # by hand: any backend
    opt.apply_gradients([(grad, xy)])
print([float(v) for v in ops.convert_to_numpy(xy)])
