"""RMSprop where it was made for: noisy mini-batch gradients and a real model.

* :mod:`.drift`: Hinton's one-weight argument (lecture 6e), numerically;
* :mod:`.datasets`: the UCI handwritten digits, shipped with the package;
* :mod:`.models`: softmax regression and a one-hidden-layer network in NumPy,
  on one flat parameter vector so every core optimizer trains them;
* :mod:`.train`: seeded mini-batch training of many configurations at once;
* :mod:`.compare`: the tuned comparison and the batch-size study, cached.
"""
