import torch

xy = torch.tensor([1.0, 0.0], dtype=torch.float64, requires_grad=True)
opt = torch.optim.RMSprop([xy], lr=0.01, alpha=0.9, eps=1e-8)
for _ in range(1000):
    x, y = xy
    loss = 2 * x**2 + 2 * x * y + 2 * y**2 - 6 * x
    opt.zero_grad()
    loss.backward()
    opt.step()
print(xy.tolist())
