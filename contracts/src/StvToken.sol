// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {AccessControlEnumerable} from "@openzeppelin/contracts/access/extensions/AccessControlEnumerable.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {IERC7943Fungible} from "./interfaces/IERC7943.sol";
import {ISTV3Token} from "./interfaces/ISTV3Token.sol";
import {IValidationRule} from "./interfaces/IValidationRule.sol";
import {StvTreasury} from "./StvTreasury.sol";

/// @title StvToken: a monolithic token exposing the STV3 ABI (stv3.md §7 design choice 1).
/// @dev Roles (§3.1): the Deployer (`deployer()`) configures treasury, trust list, rules, caps and
///      the token pause; the Owner (`owner()`) administers the operator roles; both hold
///      DEFAULT_ADMIN_ROLE, which only `setDeployer`/`transferOwnership` move. FINANCIAL_OPERATOR
///      issues, redeems and distributes from the treasury; RECOVERY_OPERATOR has the EmergencyFacet
///      powers (forced transfer/mint/burn, freeze, protocol pause).
///      Every balance change except the forced ones runs the pipeline of §4.4 in `_update`:
///      pause -> unfrozen balance -> trust list -> every linked rule.
contract StvToken is ERC20, AccessControlEnumerable, IERC7943Fungible, ISTV3Token {
    using EnumerableSet for EnumerableSet.AddressSet;

    bytes32 public constant FINANCIAL_OPERATOR = keccak256("FINANCIAL_OPERATOR");
    bytes32 public constant RECOVERY_OPERATOR = keccak256("RECOVERY_OPERATOR");

    uint8 private immutable _decimals;
    address public deployer;
    address public owner;
    address public treasury;
    uint256 public maxSupply; // 0 = unlimited
    uint256 public maxIssuance; // 0 = unlimited
    uint256 public totalIssued;
    bool public tokenPaused;

    EnumerableSet.AddressSet private _trusted;
    EnumerableSet.AddressSet private _rules;
    mapping(address => uint256) private _frozen;

    modifier onlyDeployer() {
        if (msg.sender != deployer) revert NotDeployer(msg.sender);
        _;
    }

    constructor(
        string memory name_,
        string memory symbol_,
        uint8 decimals_,
        uint256 maxSupply_,
        address deployer_,
        address owner_
    ) ERC20(name_, symbol_) {
        if (deployer_ == address(0) || owner_ == address(0)) revert ZeroAddressNotAllowed();
        _decimals = decimals_;
        maxSupply = maxSupply_;
        deployer = deployer_;
        owner = owner_;
        _grantRole(DEFAULT_ADMIN_ROLE, deployer_);
        _grantRole(DEFAULT_ADMIN_ROLE, owner_);
        emit DeployerRightsTransferred(address(0), deployer_);
        emit OwnershipTransferred(address(0), owner_);
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    // ---------------------------------------------------------------- deployer / owner slots

    function setDeployer(address newDeployer) external onlyDeployer {
        if (newDeployer == address(0)) revert ZeroAddressNotAllowed();
        address previous = deployer;
        deployer = newDeployer;
        _moveAdmin(previous, newDeployer, owner);
        emit DeployerRightsTransferred(previous, newDeployer);
    }

    /// @notice ERC-173 signature; as in STV3 only the Deployer may call it (stv3.md §2.1).
    function transferOwnership(address newOwner) external onlyDeployer {
        if (newOwner == address(0)) revert ZeroAddressNotAllowed();
        address previous = owner;
        owner = newOwner;
        _moveAdmin(previous, newOwner, deployer);
        emit OwnershipTransferred(previous, newOwner);
    }

    /// @dev DEFAULT_ADMIN_ROLE mirrors the two slots: the Owner cannot change owner or deployer.
    function grantRole(bytes32 role, address account) public override(AccessControl, IAccessControl) {
        if (role == DEFAULT_ADMIN_ROLE) revert DefaultAdminRoleManagedBySlots();
        super.grantRole(role, account);
    }

    function revokeRole(bytes32 role, address account) public override(AccessControl, IAccessControl) {
        if (role == DEFAULT_ADMIN_ROLE) revert DefaultAdminRoleManagedBySlots();
        super.revokeRole(role, account);
    }

    function renounceRole(bytes32 role, address account) public override(AccessControl, IAccessControl) {
        if (role == DEFAULT_ADMIN_ROLE) revert DefaultAdminRoleManagedBySlots();
        super.renounceRole(role, account);
    }

    // ---------------------------------------------------------------- deployer configuration

    function setTreasury(address newTreasury) external onlyDeployer {
        if (newTreasury == address(0)) revert ZeroAddressNotAllowed();
        emit TreasuryChanged(treasury, newTreasury);
        treasury = newTreasury;
    }

    function setMaxIssuance(uint256 newMaxIssuance) external onlyDeployer {
        maxIssuance = newMaxIssuance;
        emit MaxIssuanceChanged(newMaxIssuance);
    }

    function setMaxSupply(uint256 newMaxSupply) external onlyDeployer {
        if (newMaxSupply != 0 && newMaxSupply < totalSupply()) revert MaxSupplyExceeded(newMaxSupply);
        maxSupply = newMaxSupply;
        emit MaxSupplyChanged(newMaxSupply);
    }

    function trust(address account) external onlyDeployer {
        if (account == address(0)) revert ZeroAddressNotAllowed();
        if (!_trusted.add(account)) revert AlreadyTrusted(account);
        emit Trust(account);
    }

    function distrust(address account) external onlyDeployer {
        if (!_trusted.remove(account)) revert NotTrusted(account);
        emit Distrust(account);
    }

    function linkRule(address rule) external onlyDeployer {
        if (rule.code.length == 0) revert InvalidRule(rule);
        if (!_rules.add(rule)) revert RuleAlreadyLinked(rule);
        emit ValidationRuleLinked(rule);
    }

    function unlinkRule(address rule) external onlyDeployer {
        if (!_rules.remove(rule)) revert RuleNotLinked(rule);
        emit ValidationRuleUnlinked(rule);
    }

    function pauseToken() external onlyDeployer {
        _pause();
    }

    function unpauseToken() external onlyDeployer {
        _unpause();
    }

    // ---------------------------------------------------------------- financial operator

    /// @notice Mint `amount` to the treasury (MonetaryFacet `issue(uint256)`, stv3.md §7 row 13).
    function issue(uint256 amount) external onlyRole(FINANCIAL_OPERATOR) {
        address t = _requireTreasury();
        if (maxIssuance != 0 && totalIssued + amount > maxIssuance) revert MaxIssuanceExceeded(maxIssuance);
        if (maxSupply != 0 && totalSupply() + amount > maxSupply) revert MaxSupplyExceeded(maxSupply);
        totalIssued += amount;
        _mint(t, amount);
        emit Issued(t, amount, msg.sender);
    }

    /// @notice Burn `amount` from the treasury (stv3.md §7 row 16).
    function redeem(uint256 amount) external onlyRole(FINANCIAL_OPERATOR) {
        address t = _requireTreasury();
        _burn(t, amount);
        emit Redeemed(t, amount, msg.sender);
    }

    /// @notice Distribute from the treasury through the full pipeline (stv3.md §7 row 14).
    function transferFromTreasury(address to, uint256 amount) external onlyRole(FINANCIAL_OPERATOR) returns (bool) {
        _transfer(_requireTreasury(), to, amount);
        return true;
    }

    /// @notice Move another ERC-20 (e.g. collected payments) out of the treasury.
    function withdrawERC20FromTreasury(address erc20, address to, uint256 amount)
        external
        onlyRole(FINANCIAL_OPERATOR)
    {
        StvTreasury(_requireTreasury()).withdrawERC20(IERC20(erc20), to, amount);
    }

    // ---------------------------------------------------------------- recovery operator (EmergencyFacet)

    /// @notice ERC-7943 forced transfer. Skips pause, sender rules and freezes (unfreezing the
    ///         shortfall first); the recipient must still pass the rules unless trusted (§7 row 21).
    function forcedTransfer(address from, address to, uint256 amount)
        external
        onlyRole(RECOVERY_OPERATOR)
        returns (bool)
    {
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        _runRules(address(0), _ruleSide(to), amount);
        _unfreezeShortfall(from, amount);
        ERC20._update(from, to, amount);
        emit ForcedTransfer(from, to, amount);
        emit Forced("Transfer", from, to, amount, msg.sender);
        return true;
    }

    /// @notice Mint straight to `to`, which must pass the rules; caps still apply.
    function forcedMint(address to, uint256 amount) external onlyRole(RECOVERY_OPERATOR) returns (bool) {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        _runRules(address(0), _ruleSide(to), amount);
        if (maxSupply != 0 && totalSupply() + amount > maxSupply) revert MaxSupplyExceeded(maxSupply);
        ERC20._update(address(0), to, amount);
        emit Forced("Mint", address(0), to, amount, msg.sender);
        return true;
    }

    /// @notice Burn from `from` regardless of pause, rules and freezes (unfreezing the shortfall).
    function forcedBurn(address from, uint256 amount) external onlyRole(RECOVERY_OPERATOR) returns (bool) {
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        _unfreezeShortfall(from, amount);
        ERC20._update(from, address(0), amount);
        emit Forced("Burn", from, address(0), amount, msg.sender);
        return true;
    }

    /// @notice ERC-7943 freeze: an absolute amount that may exceed the balance.
    function setFrozenTokens(address account, uint256 amount) external onlyRole(RECOVERY_OPERATOR) returns (bool) {
        _frozen[account] = amount;
        emit Frozen(account, amount);
        return true;
    }

    /// @notice EmergencyFacet pause; sets the same flag as `pauseToken` (stv3.md §7 row 20).
    function pauseProtocolSTV3() external onlyRole(RECOVERY_OPERATOR) {
        _pause();
    }

    function unpauseProtocolSTV3() external onlyRole(RECOVERY_OPERATOR) {
        _unpause();
    }

    // ---------------------------------------------------------------- views

    function isTrusted(address account) external view returns (bool) {
        return _trusted.contains(account);
    }

    function trustList() external view returns (address[] memory) {
        return _trusted.values();
    }

    function validationRulesList() external view returns (address[] memory) {
        return _rules.values();
    }

    function ruleDescription(address rule) external view returns (string memory) {
        if (!_rules.contains(rule)) revert RuleNotLinked(rule);
        return IValidationRule(rule).description();
    }

    function getFrozenTokens(address account) external view returns (uint256) {
        return _frozen[account];
    }

    /// @notice Whether `account` may send at all (trusted, or passes every rule). Never reverts.
    function canSend(address account) public view returns (bool) {
        if (account == address(0)) return false;
        return _trusted.contains(account) || _rulesPass(account, address(0), 0);
    }

    /// @notice Whether `account` may receive at all. Never reverts.
    function canReceive(address account) public view returns (bool) {
        if (account == address(0)) return false;
        return _trusted.contains(account) || _rulesPass(address(0), account, 0);
    }

    /// @notice Stobox's name for ERC-7943 eligibility (older draft): may send and receive.
    function canTransact(address account) external view returns (bool) {
        return canSend(account) && canReceive(account);
    }

    /// @notice Whether `transfer`/`transferFrom` of `amount` from `from` to `to` would pass now:
    ///         same pipeline as `_update`, in view mode. Never reverts.
    function canTransfer(address from, address to, uint256 amount) external view returns (bool) {
        if (from == address(0) || to == address(0) || tokenPaused) return false;
        if (amount > _unfrozenBalance(from)) return false;
        return _rulesPass(_ruleSide(from), _ruleSide(to), amount);
    }

    /// @dev ERC-165: ERC-20, ERC-173, AccessControl(Enumerable), ERC-7943 (0x3edbb4c4) and the older
    ///      `canTransact` draft of ERC-7943 that Stobox documents (0x29388973, stv3.md §4.2).
    function supportsInterface(bytes4 interfaceId)
        public
        view
        override(AccessControlEnumerable, IERC165)
        returns (bool)
    {
        return interfaceId == type(IERC7943Fungible).interfaceId || interfaceId == 0x29388973
            || interfaceId == type(IERC20).interfaceId || interfaceId == 0x7f5828d0 // ERC-173
            || super.supportsInterface(interfaceId);
    }

    // ---------------------------------------------------------------- internals

    /// @dev The transfer pipeline of stv3.md §4.4 for every non-forced balance change.
    function _update(address from, address to, uint256 value) internal override {
        if (tokenPaused) revert FundsTransferProhibited();
        if (from != address(0)) {
            uint256 balance = balanceOf(from);
            uint256 unfrozen = _unfrozenBalance(from);
            // Insufficient balance is left to ERC20 (ERC20InsufficientBalance).
            if (value <= balance && value > unfrozen) revert ERC7943InsufficientUnfrozenBalance(from, value, unfrozen);
        }
        _runRules(_ruleSide(from), _ruleSide(to), value);
        super._update(from, to, value);
    }

    /// @dev Zero for a side the rules skip: mint/burn side or a trusted address.
    function _ruleSide(address account) internal view returns (address) {
        return _trusted.contains(account) ? address(0) : account;
    }

    /// @dev Reverts with the first failing rule's own error (e.g. HasDIDRule.NotValidDIDOf).
    function _runRules(address from, address to, uint256 amount) internal view {
        if (from == address(0) && to == address(0)) return;
        uint256 n = _rules.length();
        for (uint256 i = 0; i < n; i++) {
            IValidationRule(_rules.at(i)).validate(from, to, amount);
        }
    }

    function _rulesPass(address from, address to, uint256 amount) internal view returns (bool) {
        if (from == address(0) && to == address(0)) return true;
        uint256 n = _rules.length();
        for (uint256 i = 0; i < n; i++) {
            try IValidationRule(_rules.at(i)).validate(from, to, amount) {}
            catch {
                return false;
            }
        }
        return true;
    }

    function _unfrozenBalance(address account) internal view returns (uint256) {
        uint256 balance = balanceOf(account);
        uint256 frozen = _frozen[account];
        return frozen >= balance ? 0 : balance - frozen;
    }

    /// @dev ERC-7943: a forced move that eats into frozen tokens lowers the freeze first and emits
    ///      `Frozen` before the `Transfer`.
    function _unfreezeShortfall(address from, uint256 amount) internal {
        uint256 balance = balanceOf(from);
        if (amount > balance) revert ERC20InsufficientBalance(from, balance, amount);
        if (amount > _unfrozenBalance(from)) {
            uint256 newFrozen = balance - amount;
            _frozen[from] = newFrozen;
            emit Frozen(from, newFrozen);
        }
    }

    function _requireTreasury() internal view returns (address t) {
        t = treasury;
        if (t == address(0)) revert TreasuryNotSet();
    }

    function _pause() internal {
        if (tokenPaused) revert TokenAlreadyPaused();
        tokenPaused = true;
        emit TokenPaused(msg.sender);
    }

    function _unpause() internal {
        if (!tokenPaused) revert TokenNotPaused();
        tokenPaused = false;
        emit TokenUnpaused(msg.sender);
    }

    function _moveAdmin(address previous, address next, address otherSlot) internal {
        if (previous != otherSlot) _revokeRole(DEFAULT_ADMIN_ROLE, previous);
        _grantRole(DEFAULT_ADMIN_ROLE, next);
    }
}
