"""Offline laptops (issue 19): «Tag med offline…», «Udlånte sager…» (revoke) and the «Offline-kopi» banner."""
